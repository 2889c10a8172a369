//! The web client's hearings pages in headless Chromium, JavaScript off (being built).
