"""Persistence: the database engine and the tables. Only the services import it."""
