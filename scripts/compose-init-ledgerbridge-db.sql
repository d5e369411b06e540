CREATE DATABASE ledgerbridge;
