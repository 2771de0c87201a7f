public enum VaultGeneratorPlaceholder {}
