"""The register of credit service institutions (Art. 37–43; CSI-1)."""
