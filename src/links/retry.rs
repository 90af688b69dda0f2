//! Link writes that lost to a concurrent one at the database (a deadlock or a serialisation
//! failure, SQLSTATE 40P01 / 40001) are run again a few times: PostgreSQL rolled the whole
//! transaction back, so trying again is safe and the person never sees the collision.

use super::LinkError;
use std::future::Future;
use std::time::Duration;

const ATTEMPTS: u32 = 5;

/// True for the errors PostgreSQL asks the client to retry.
pub fn is_transient(e: &LinkError) -> bool {
    matches!(e, LinkError::Store(sqlx::Error::Database(d)) if matches!(d.code().as_deref(), Some("40001" | "40P01")))
}

/// Runs `op` until it succeeds, fails for another reason, or has been tried `ATTEMPTS` times.
pub async fn transient<T, F, Fut>(mut op: F) -> Result<T, LinkError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, LinkError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if attempt < ATTEMPTS && is_transient(&e) => {
                tracing::debug!(attempt, error = %e, "link write collided with another; trying again");
                // A short, growing, jittered pause so the colliding writers do not meet again.
                let jitter = (uuid::Uuid::new_v4().as_u128() % 10) as u64;
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt) + jitter)).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}
