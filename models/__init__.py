"""The data shapes: records of the output contract, the section tree's helpers, ORM tables and the store; imports only catalogs."""
