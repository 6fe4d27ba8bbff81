"""Customer Service Excellence: the evidence Deskmate holds for the standard's five criteria
(evidence.py) and the printable report an assessor reads (page.py)."""
