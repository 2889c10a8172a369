//! The web client's cases pages in headless Chromium, JavaScript off (being built).
