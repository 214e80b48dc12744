//! `dangan serve`: flags → [`ServeOptions`]; says where to open the page.

use std::path::Path;

use crate::cli::ServeArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::serve::{self, Login, ServeOptions};

/// Serves the index until Ctrl-C, after saying on stderr where to open it. Refuses an
/// address other computers can reach unless a password file or `--no-password` was given.
pub fn run(args: &ServeArgs, index_flag: Option<&Path>) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    serve::check_listen(args.listen, args.password_file.is_some() || args.no_password)?;
    let login = match &args.password_file {
        Some(file) => Some(Login::from_file(file)?),
        None => None,
    };
    let options = ServeOptions {
        index: config::absolute(&dir),
        listen: args.listen,
        login,
        watch: args.watch.then(|| std::time::Duration::from_secs(args.poll)),
    };
    let guarded = options.login.is_some();
    let watch = options.watch.is_some();
    serve::run(options, |addr| {
        let url = if addr.ip().is_unspecified() {
            format!("http://<this computer's address>:{}/", addr.port())
        } else {
            format!("http://{addr}/")
        };
        let password = if guarded { " with a password" } else { "" };
        let watching = if watch {
            ", keeping its folders in step"
        } else {
            ""
        };
        eprintln!(
            "dangan: serving {} at {url}{password}{watching} (Ctrl-C stops)",
            dir.display()
        );
    })?;
    Ok(Outcome::Success)
}
