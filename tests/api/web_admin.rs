//! The web client's admin pages in headless Chromium, JavaScript off (being built).
