CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE RESTRICT);
CREATE INDEX idx_subscriptions_plan ON subscriptions(plan_id);
