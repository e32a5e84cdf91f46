"""Government sharing inquiries, authorized inquiries under consent, and the inquiry log
(Art. 19, 20, 31, 38; INQ-1…3, DIS-1, DIS-2, CSI-2)."""
