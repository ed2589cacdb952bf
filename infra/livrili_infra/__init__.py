"""Livrili's AWS infrastructure: one construct per capability, composed by `stack.py`."""
