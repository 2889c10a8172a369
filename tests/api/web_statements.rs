//! The web client's statements pages in headless Chromium, JavaScript off (being built).
