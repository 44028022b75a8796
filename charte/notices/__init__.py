"""What the site tells the team: the daily digest."""
