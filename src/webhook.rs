//! Webhooks (callbacks): verify, read and answer what the vendors push to the app.
//!
//! The framework-neutral pieces are [`WebhookRequest`] and [`WebhookError`] here, and each
//! vendor's `callback` module (`imbridge::tencent::callback`, `imbridge::rongcloud::callback`)
//! with its verifier, typed events and replies. With the `axum` feature, `webhook::axum`
//! turns them into routers.

pub use imbridge_core::webhook::*;

/// Routers for axum servers (feature `axum`).
///
/// ```no_run
/// # #[cfg(all(feature = "tencent", feature = "rongcloud"))]
/// # async fn demo() -> std::io::Result<()> {
/// use imbridge::tencent::callback::{CallbackVerifier, Event, Reply};
/// use imbridge::webhook::axum::tencent_router;
///
/// let verifier = CallbackVerifier::new(1400000000, "callback-token");
/// let app = axum::Router::new().nest(
///     "/im/tencent",
///     tencent_router(verifier, |callback| async move {
///         if let Event::AfterSendC2c(msg) = &callback.event {
///             println!("{} -> {}", msg.from, msg.to);
///         }
///         Reply::Allow
///     }),
/// );
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// axum::serve(listener, app).await
/// # }
/// ```
#[cfg(feature = "axum")]
pub mod axum {
    use std::future::Future;

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::RawQuery;
    use axum::http::{HeaderMap, Method, StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::any;

    use super::{WebhookError, WebhookRequest};

    fn request(
        method: &Method,
        query: Option<String>,
        headers: &HeaderMap,
        body: Bytes,
    ) -> WebhookRequest {
        headers.iter().fold(
            WebhookRequest::new(method.as_str(), query.unwrap_or_default(), body.to_vec()),
            |req, (name, value)| match value.to_str() {
                Ok(v) => req.header(name.as_str(), v),
                Err(_) => req,
            },
        )
    }

    fn refused(e: &WebhookError) -> Response {
        tracing::warn!(error = %e, "callback refused");
        let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
        let body = serde_json::json!({"error": e.to_string()}).to_string();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }

    /// A router (mounted at `/`; nest it where the console points) that verifies Tencent
    /// callbacks, hands each typed [`Callback`](crate::tencent::callback::Callback) to
    /// `handler`, and answers with its [`Reply`](crate::tencent::callback::Reply). Refused
    /// callbacks get 401/405/413/400 with the reason.
    #[cfg(feature = "tencent")]
    pub fn tencent_router<H, Fut>(
        verifier: crate::tencent::callback::CallbackVerifier,
        handler: H,
    ) -> Router
    where
        H: Fn(crate::tencent::callback::Callback) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = crate::tencent::callback::Reply> + Send + 'static,
    {
        Router::new().route(
            "/",
            any(
                move |method: Method,
                      RawQuery(query): RawQuery,
                      headers: HeaderMap,
                      body: Bytes| {
                    let (verifier, handler) = (verifier.clone(), handler.clone());
                    async move {
                        match verifier.verify(&request(&method, query, &headers, body)) {
                            Ok(callback) => {
                                let reply = handler(callback).await;
                                (
                                    [(header::CONTENT_TYPE, "application/json")],
                                    reply.to_json(),
                                )
                                    .into_response()
                            }
                            Err(e) => refused(&e),
                        }
                    }
                },
            ),
        )
    }

    /// A router (mounted at `/`) that verifies RongCloud callbacks, hands each typed
    /// [`Callback`](crate::rongcloud::callback::Callback) to `handler`, and answers 200 as
    /// the vendor expects. Refused callbacks get 401/405/413/400 with the reason.
    #[cfg(feature = "rongcloud")]
    pub fn rongcloud_router<H, Fut>(
        verifier: crate::rongcloud::callback::CallbackVerifier,
        handler: H,
    ) -> Router
    where
        H: Fn(crate::rongcloud::callback::Callback) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Router::new().route(
            "/",
            any(
                move |method: Method,
                      RawQuery(query): RawQuery,
                      headers: HeaderMap,
                      body: Bytes| {
                    let (verifier, handler) = (verifier.clone(), handler.clone());
                    async move {
                        match verifier.verify(&request(&method, query, &headers, body)) {
                            Ok(callback) => {
                                handler(callback).await;
                                (StatusCode::OK, crate::rongcloud::callback::REPLY_OK)
                                    .into_response()
                            }
                            Err(e) => refused(&e),
                        }
                    }
                },
            ),
        )
    }
}
