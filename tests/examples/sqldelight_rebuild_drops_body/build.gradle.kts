plugins {
    kotlin("jvm") version "2.0.20"
    id("app.cash.sqldelight") version "2.0.2"
}

sqldelight {
    databases {
        create("NotesDatabase") {
            packageName.set("com.example.notes")
            verifyMigrations.set(true)
        }
    }
}
