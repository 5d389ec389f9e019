def test_home_page_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "政务公开" in response.content.decode()


def test_world_paths_nest(world):
    assert world.town.path.startswith(world.county.path)
    assert world.county.path.startswith(world.city.path)
    assert world.town.depth == 4
