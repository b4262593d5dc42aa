"""The meeting pages (/cuoc-hop/): the week's meetings, a meeting with its agenda, pack,
attendance, minutes and conclusions, the create form, and the rooms."""
