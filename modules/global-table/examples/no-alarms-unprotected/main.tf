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
  alias  = "us_west_2"
  region = "us-west-2"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "global_table" {
  source = "../.."
  providers = {
    aws           = aws
    aws.replica_1 = aws.us_west_2
    aws.replica_2 = aws.eu_west_1
  }

  table_name = "acme-shop-orders"
  partition_key = {
    name = "pk"
    type = "S"
  }
  sort_key = {
    name = "sk"
    type = "S"
  }
  ttl_attribute   = "expiresAt"
  kms_key_arn     = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alarm_topic_arn = null
  replica_1 = {
    kms_key_arn = "arn:aws:kms:us-west-2:111122223333:key/5678efab-56ef-78ab-90cd-5678901234ef"
  }
  replica_2 = {
    kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/9abc0123-9abc-0123-4567-9abc01234567"
    alarm_topic_arn = "arn:aws:sns:eu-west-1:111122223333:acme-shop-alerts"
  }
  deletion_protection = false
}

output "replica_1_arn" {
  value = module.global_table.replica_1_arn
}

output "replica_2_arn" {
  value = module.global_table.replica_2_arn
}

output "stream_arn" {
  value = module.global_table.stream_arn
}

output "table_arn" {
  value = module.global_table.table_arn
}

output "table_name" {
  value = module.global_table.table_name
}
