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

module "s3_replicated_bucket" {
  source = "../.."

  bucket_name                        = "acme-shop-assets-111122223333-us-east-1"
  kms_key_arn                        = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  access_log_bucket_name             = "acme-shop-s3logs-111122223333-us-east-1"
  access_log_prefix                  = "logs/assets/"
  force_destroy                      = true
  noncurrent_version_expiration_days = 30
}

output "bucket_arn" {
  value = module.s3_replicated_bucket.bucket_arn
}

output "bucket_name" {
  value = module.s3_replicated_bucket.bucket_name
}

output "bucket_regional_domain_name" {
  value = module.s3_replicated_bucket.bucket_regional_domain_name
}
