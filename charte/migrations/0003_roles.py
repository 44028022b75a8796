"""Create the staff groups. None of them may manage users or groups."""

from django.db import migrations

COMMUNICATION_TEAM = "Communication team"
MODERATORS = "Moderators"
COUNCIL_MEMBERS = "Council members"

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("image", ["add_image", "change_image", "choose_image"]),
    "wagtaildocs": ("document", ["add_document", "change_document", "choose_document"]),
}


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return perm


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    # Wagtail's first migrations create « Editors » and « Moderators » groups that may publish
    # every page; our roles replace them, starting from no permission at all.
    Group.objects.filter(name="Editors").delete()
    for name in (COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.clear()
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin")
    team = Group.objects.get(name=COMMUNICATION_TEAM)
    moderators = Group.objects.get(name=MODERATORS)

    team.permissions.add(access_admin)
    team.permissions.add(permission(apps, "wagtail_localize", "translation", "submit_translation"))
    moderators.permissions.add(access_admin)

    root_page = Page.objects.filter(depth=1).first()
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=team, page=root_page, permission=permission(apps, "wagtailcore", "page", codename)
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, (model, codenames) in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=team,
                    collection=root_collection,
                    permission=permission(apps, app_label, model, codename),
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(
        name__in=[COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0002_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
