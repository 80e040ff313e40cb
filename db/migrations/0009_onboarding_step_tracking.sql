-- Migration 0009: onboarding funnel lookups.
-- Index only: users.onboarding_step already exists (created in 0001).
-- Safe to run twice.

CREATE INDEX IF NOT EXISTS idx_users_onboarding_step ON users(onboarding_step);
