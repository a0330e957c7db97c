"""The render stage: a plan made into a video (segments from the cache or encoded, the sound
beside them, joined, verified, renamed into place, the manifest beside it)."""
