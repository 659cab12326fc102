-- Staff credentials can be revoked (issue 14): a revoked login cannot sign in, its bearer credentials are deleted and its
-- live sessions ended; the row stays, so the operator actions it made still name an account that existed.
alter table staff_accounts add column revoked_at timestamptz;
