"""Cases: one entity's facts for one performance year, read strictly and checked against its rulebook."""
