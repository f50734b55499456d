//! The built single-page app at `/`, with history fallback to `index.html` so deep links work.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, web};

const PLACEHOLDER: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Heatshield</title></head>
<body><h1>Heatshield</h1><p>The web app is not built. Run <code>make run</code>, or explore the API at
<a href="/graphql">/graphql</a>.</p></body></html>"#;

pub fn configure(cfg: &mut web::ServiceConfig, web_dir: Option<PathBuf>) {
    match web_dir.filter(|dir| dir.join("index.html").is_file()) {
        Some(dir) => {
            let index = dir.join("index.html");
            cfg.service(
                Files::new("/", dir)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let index = index.clone();
                        async move {
                            let (req, _) = req.into_parts();
                            let file = NamedFile::open_async(index).await?;
                            Ok(ServiceResponse::new(req.clone(), file.into_response(&req)))
                        }
                    })),
            );
        }
        None => {
            cfg.route(
                "/",
                web::get().to(|| async {
                    HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(PLACEHOLDER)
                }),
            );
        }
    }
}
