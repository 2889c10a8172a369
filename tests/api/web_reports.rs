//! The web client's reports pages in headless Chromium, JavaScript off (being built).
