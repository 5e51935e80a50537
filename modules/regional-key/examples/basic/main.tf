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

module "regional_key" {
  source = "../.."

  kms_key_alias          = "alias/acme-shop"
  account_id             = "111122223333"
  log_group_arn_patterns = ["arn:aws:logs:us-east-1:111122223333:log-group:/acme-shop/*"]
}

output "alias_arn" {
  value = module.regional_key.alias_arn
}

output "key_arn" {
  value = module.regional_key.key_arn
}
