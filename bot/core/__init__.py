"""Values shared by the engine and storage, and the error tree. Imports nothing of ours."""
