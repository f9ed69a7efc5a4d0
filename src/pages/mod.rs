pub mod account;
pub mod audit;
pub mod login;
pub mod my_org;
pub mod org_form;
pub mod orgs;
pub mod users;
