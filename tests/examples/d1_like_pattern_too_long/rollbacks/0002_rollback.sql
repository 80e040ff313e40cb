UPDATE sessions SET is_bot = 0;
