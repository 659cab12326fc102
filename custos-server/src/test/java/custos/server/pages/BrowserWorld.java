package custos.server.pages;

import custos.server.CustosApp;
import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import org.openqa.selenium.chrome.ChromeDriver;

/** A gateway on a fresh database seeded with a small world, and a headless Chromium to look at it: where page tests start. */
final class BrowserWorld implements AutoCloseable {
    final TestStores.Target target;
    final Database db;
    final CustosApp app;
    final ChromeDriver browser;

    private BrowserWorld(TestStores.Target target, Database db, CustosApp app, ChromeDriver browser) {
        this.target = target;
        this.db = db;
        this.app = app;
        this.browser = browser;
    }

    static BrowserWorld start(WorldSpec world) {
        TestStores.Target target = TestStores.server();
        Database db = Database.open(target.config());
        Seeder.seed(db, world, false);
        CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0));
        return new BrowserWorld(target, db, app, HeadlessChromium.start());
    }

    String base() {
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() {
        try {
            browser.quit();
        } finally {
            app.close();
            target.cleanup().run();
        }
    }
}
