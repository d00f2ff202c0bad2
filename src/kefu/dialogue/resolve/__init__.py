"""Grounded resolvers: what the customer said → values from that customer's own data and the catalogue.

Each resolver is a pure function over records in the τ-bench retail shape (or a pack's own shape) and
returns a ``Resolution``: one value, several candidates to ask about (with what tells them apart), or
nothing. Resolvers never guess silently and never fill a value the customer did not give.
"""
