"""Mutation testing (`make mutation`): mutmut over the core modules, and the report of what survived."""
