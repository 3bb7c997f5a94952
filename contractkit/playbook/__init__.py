"""Negotiation playbooks: what counsel may concede on each clause, and the vendor's markup of a
draft read back and judged against them."""
