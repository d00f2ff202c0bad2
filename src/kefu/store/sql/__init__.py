"""SQLAlchemy implementation of the store ports."""
