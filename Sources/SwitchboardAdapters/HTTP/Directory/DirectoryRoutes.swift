import Hummingbird
import SwitchboardCore

/// Mounts the directory endpoints: extensions, extension groups, organizations, phonebooks,
/// company contacts and `system/get_menuoptions`.
struct DirectoryRoutes {
    let database: Database
    let clock: any WallClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        CrudController(resource: ExtensionResource(), database: database, clock: clock).addRoutes(to: group)
        CrudController(resource: ExtensionGroupResource(), database: database, clock: clock).addRoutes(to: group)
        CrudController(resource: OrganizationResource(), database: database, clock: clock).addRoutes(to: group)
        CrudController(resource: PhonebookResource(), database: database, clock: clock).addRoutes(to: group)
        CrudController(resource: CompanyContactResource(), database: database, clock: clock).addRoutes(to: group)
        MenuOptionsController(database: database).addRoutes(to: group)
    }
}
