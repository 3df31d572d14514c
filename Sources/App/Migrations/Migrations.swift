import Fluent
import Vapor

extension Application {
    /// Every migration in the order it runs; a new one is appended, never inserted.
    func registerMigrations() {
        migrations.add(M001_CreateUsers())
        migrations.add(M002_CreateWorkspaces())
        migrations.add(M003_CreateInvitations())
        migrations.add(M004_CreateAPITokens())
        migrations.add(M005_CreateLoginFailures())
        migrations.add(M006_CreateWorkerHeartbeats())
        migrations.add(M007_CreatePosts())
        migrations.add(M008_CreateMedia())
        migrations.add(M009_CreateWebSessions())
        migrations.add(M010_CreateChannels())
        migrations.add(M011_AddMediaDuration())
        migrations.add(M012_CreateMastodonApplications())
        migrations.add(M013_IndexExpiringRows())
        migrations.add(M014_CreateJobs())
        migrations.add(M015_CreateDeliveries())
        migrations.add(M016_IndexMembershipsByUser())
        migrations.add(M018_IndexDeliveriesByTime())
        migrations.add(M017_CreateWebhooks())
        migrations.add(M019_CreateSiteSlugs())
        migrations.add(M020_CreateLibrary())
        migrations.add(M023_CreateFeedSubscriptions())
        migrations.add(M024_AddWebSubToFeedSubscriptions())
        migrations.add(M025_CreateInbox())
        migrations.add(M026_CreateShortLinks())
        migrations.add(M027_CreateConversions())
        migrations.add(M028_CreateAnalytics())
        migrations.add(M031_CreatePostApprovals())
        migrations.add(M029_CreateMetricsReaders())
        migrations.add(M030_IndexClicksForReports())
        migrations.add(M032_CreateIdeas())
        migrations.add(M033_CreateActivities())
        migrations.add(M034_CreateComments())
        migrations.add(M035_AddCredentialRefreshLease())
        migrations.add(M036_AddDeliveryCheckpoint())
    }
}
