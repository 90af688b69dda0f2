//! Server functions that list Velocity's projects and persons with their links.

use crate::api::ApiError;
use crate::domain::{Person, Project};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub projects: Vec<Project>,
    pub persons: Vec<Person>,
}

#[server]
pub async fn load_directory() -> Result<Directory, ApiError> {
    crate::api::context::ui_actor().await?;
    let pool = crate::server::state::pool()?;
    let projects = crate::store::projects::list_projects(&pool).await?;
    let persons = crate::store::persons::list_persons(&pool).await?;
    Ok(Directory { projects, persons })
}
