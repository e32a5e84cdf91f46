import xinyong.measures.models  # noqa: F401
