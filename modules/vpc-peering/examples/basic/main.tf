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

module "vpc_peering" {
  source = "../.."
  providers = {
    aws          = aws
    aws.accepter = aws.us_west_2
  }

  name_prefix = "acme-shop"
  account_id  = "111122223333"
  requester = {
    vpc_id   = "vpc-0a1b2c3d4e5f60001"
    vpc_cidr = "10.10.0.0/16"
    vpc_route_table_ids = {
      private-us-east-1a = "rtb-0a1b2c3d4e5f60001"
      private-us-east-1b = "rtb-0a1b2c3d4e5f60002"
      private-us-east-1c = "rtb-0a1b2c3d4e5f60003"
      database           = "rtb-0a1b2c3d4e5f60009"
    }
  }
  accepter = {
    vpc_id   = "vpc-0f1e2d3c4b5a60002"
    vpc_cidr = "10.20.0.0/16"
    vpc_route_table_ids = {
      private-us-west-2a = "rtb-0f1e2d3c4b5a60001"
      private-us-west-2b = "rtb-0f1e2d3c4b5a60002"
      private-us-west-2c = "rtb-0f1e2d3c4b5a60003"
      database           = "rtb-0f1e2d3c4b5a60009"
    }
  }
}

output "peering_connection_id" {
  value = module.vpc_peering.peering_connection_id
}
