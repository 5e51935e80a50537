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

module "s3_replication" {
  source = "../.."

  role_name = "acme-shop-assets-replication-us-east-1"
  source_bucket = {
    bucket_name = "acme-shop-assets-111122223333-us-east-1"
    bucket_arn  = "arn:aws:s3:::acme-shop-assets-111122223333-us-east-1"
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  destinations = {
    us-west-2 = {
      bucket_name = "acme-shop-assets-111122223333-us-west-2"
      bucket_arn  = "arn:aws:s3:::acme-shop-assets-111122223333-us-west-2"
      kms_key_arn = "arn:aws:kms:us-west-2:111122223333:key/5678efab-56ef-78ab-90cd-5678901234ef"
    }
  }
  alarm_topic_arn = null
}

output "role_arn" {
  value = module.s3_replication.role_arn
}

output "rule_ids" {
  value = module.s3_replication.rule_ids
}
