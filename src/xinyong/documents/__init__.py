"""Documents: numbered notices, decisions and reports rendered to PDF (PLT-4)."""
