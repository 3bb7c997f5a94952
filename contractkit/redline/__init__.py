"""Redlines: what changed between two builds of a document, as tracked changes.

``treejson`` stores a build's trees, ``diff`` compares two of them into the model of
``model``, and ``docx`` and ``pdf`` print that model as Word tracked changes and as a marked-up
PDF.
"""
