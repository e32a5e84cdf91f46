"""The credit office's dashboard (DESIGN §6; PLT-3): the platform at a glance."""
