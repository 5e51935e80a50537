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
  region = "us-east-1"
}

provider "aws" {
  alias  = "replica"
  region = "us-west-2"
}

module "state_backend" {
  source = "../.."
  providers = {
    aws         = aws
    aws.replica = aws.replica
  }

  bucket_name                   = "acme-shop-tfstate-111122223333-us-east-1"
  replica_bucket_name           = "acme-shop-tfstate-111122223333-us-west-2"
  lock_table_name               = "acme-shop-tfstate-lock"
  kms_key_alias                 = "alias/acme-shop-tfstate"
  replication_role_name         = "acme-shop-tfstate-replication"
  replica_replication_role_name = "acme-shop-tfstate-replication-back"
  account_id                    = "111122223333"
}

output "bucket_name" {
  value = module.state_backend.bucket_name
}

output "kms_key_arn" {
  value = module.state_backend.kms_key_arn
}

output "lock_table_name" {
  value = module.state_backend.lock_table_name
}

output "replica_bucket_name" {
  value = module.state_backend.replica_bucket_name
}

output "replica_kms_key_arn" {
  value = module.state_backend.replica_kms_key_arn
}
