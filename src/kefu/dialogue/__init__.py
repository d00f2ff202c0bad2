"""The dialogue toolkit every pack uses (DESIGN.md §2, issue #10).

Understanding yields typed *commands* (``commands.py``) from one or more pluggable generators; the flow
engine executes them against flows declared as data. Grounded resolvers (``resolve/``) turn what the
customer says into values from *that customer's own* data and the catalogue. Verification strategies are
plugins. A pack is flows + tools + its business system + templates.
"""
