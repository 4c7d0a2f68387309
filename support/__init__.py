"""The support team's side: conversation unhappiness scoring, recorded turns, flagged reviews."""
