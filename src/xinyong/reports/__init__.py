"""Rights of credit subjects: self-query and the verifiable credit report (RGT-1, Art. 31)."""
