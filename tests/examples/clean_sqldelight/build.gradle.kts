plugins {
    kotlin("jvm") version "2.0.20"
    id("app.cash.sqldelight") version "2.0.2"
}

sqldelight {
    databases {
        create("JotterDatabase") {
            packageName.set("com.example.jotter")
            verifyMigrations.set(true)
        }
    }
}
