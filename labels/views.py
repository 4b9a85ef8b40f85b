"""Label views: load the code (404 outside the caller's enterprise), then render."""
