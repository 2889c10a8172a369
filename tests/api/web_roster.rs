//! The web client's roster pages in headless Chromium, JavaScript off (being built).
