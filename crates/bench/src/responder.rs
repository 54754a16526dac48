//! A minimal loopback HTTP server that answers every POST with a fixed success body, so that
//! the client side is what a throughput run measures.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;

/// What a Tencent `sendmsg` answers on success.
pub const TENCENT_OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgTime":1700000000,"MsgKey":"1_1_1700000000","MsgId":"1"}"#;
/// What a RongCloud call answers on success.
pub const RONGCLOUD_OK: &str = r#"{"code":200,"token":"t","userId":"u"}"#;

/// Serves on its own OS thread and single-threaded runtime, so that it does not compete with
/// the clients' runtime for scheduling; returns the address. It lives until the process ends.
pub fn start() -> std::io::Result<SocketAddr> {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            let app = Router::new()
                .route(
                    "/v4/{service}/{command}",
                    post(|| async { ([("content-type", "application/json")], TENCENT_OK) }),
                )
                .fallback(|| async { ([("content-type", "application/json")], RONGCLOUD_OK) });
            if let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) {
                let _ = axum::serve(listener, app).await;
            }
        });
    });
    Ok(addr)
}
