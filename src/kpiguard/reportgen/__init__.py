"""Writers that render simulated store activity as the platforms' real export files."""
