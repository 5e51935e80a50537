terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

module "promote_database_runbook" {
  source = "../.."

  name_prefix                = "acme-shop"
  account_id                 = "111122223333"
  global_cluster_identifier  = "acme-shop"
  cluster_arn                = "arn:aws:rds:us-west-2:111122223333:cluster:acme-shop-us-west-2"
  member_cluster_arn_pattern = "arn:aws:rds:*:111122223333:cluster:acme-shop-*"
  alerts_topic_arn           = "arn:aws:sns:us-west-2:111122223333:acme-shop-alerts"
  kms_key_arn                = "arn:aws:kms:us-west-2:111122223333:key/5678efab-56ef-78ab-90cd-5678901234ef"
  timeout_minutes            = 45
}

output "role_arn" {
  value = module.promote_database_runbook.role_arn
}

output "state_machine_arn" {
  value = module.promote_database_runbook.state_machine_arn
}
